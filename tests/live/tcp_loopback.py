# SPDX-License-Identifier: GPL-2.0
# tcp_loopback.py - 28 MB over a loopback TCP connection: the receive path
# allocates skbs in softirq context (NET_RX), with GFP_ATOMIC.
import socket, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1); port = s.getsockname()[1]
def srv():
    c, _ = s.accept()
    while c.recv(65536): pass
threading.Thread(target=srv, daemon=True).start()
c = socket.create_connection(("127.0.0.1", port))
buf = b"x" * 1400
for i in range(20000): c.send(buf)
c.close()
