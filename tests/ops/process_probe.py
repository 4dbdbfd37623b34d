"""What the tests see of processes and ports from outside, in /proc: command lines, children, listening sockets."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

TCP_LISTEN = "0A"


def processes_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line contains the text."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and text in command:
            found.append(int(entry.name))
    return found


def children_of(pid: int) -> list[int]:
    """PIDs of the live child processes of a process."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            # The fields after the command name, which is in parentheses and may hold spaces: state, ppid, ...
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def proc_net_address(hex_address: str) -> str:
    """An address as /proc/net/tcp or tcp6 writes it (32-bit words in host order) in the usual notation."""
    packed = b"".join(struct.pack("=I", int(hex_address[i : i + 8], 16)) for i in range(0, len(hex_address), 8))
    return socket.inet_ntop(socket.AF_INET if len(packed) == 4 else socket.AF_INET6, packed)


def listening_addresses(port: int) -> list[str]:
    """The addresses of every socket listening on the TCP port, IPv4 and IPv6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, _remote, state = line.split()[1:4]
            address, local_port = local.split(":")
            if state == TCP_LISTEN and int(local_port, 16) == port:
                found.append(proc_net_address(address))
    return found
