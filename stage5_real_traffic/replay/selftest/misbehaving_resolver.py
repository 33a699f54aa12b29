#!/usr/bin/env python3
# A fake resolver that misbehaves on purpose, to check replay_corpus itself:
# by the length of a query it crashes (SIGSEGV), exits (status 3), hangs,
# answers late (20 ms), or answers at once. Never use it for figures.
import os, signal, socket, sys, threading, time
args = sys.argv[1:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print("some banner line\nBound to 127.0.0.1:%d" % s.getsockname()[1], flush=True)
def reply(data, addr, rcode=0):
    if len(data) >= 12:
        s.sendto(data[:2] + bytes([data[2] | 0x80, rcode]) + data[4:], addr)
while True:
    data, addr = s.recvfrom(65535)
    if b"\x07version\x04bind\x00\x00\x10\x00\x03" in data:
        reply(data, addr, 5); continue
    n = len(data)
    if n % 7 == 0:
        print("about to crash on %d bytes" % n, flush=True); os.kill(os.getpid(), signal.SIGSEGV)
    if n % 13 == 0:
        print("exiting on %d bytes" % n, flush=True); sys.exit(3)
    if n % 11 == 0:
        time.sleep(30)
    if n % 5 == 0:
        threading.Timer(0.02, reply, (data, addr)).start(); continue
    if n >= 12 and not data[2] & 0x80:
        reply(data, addr, 2 if n % 2 else 0)
