"""Checks that the ports a launcher needs are free, and names what holds a taken one."""

import os
import socket
from pathlib import Path
from typing import Dict, Optional


class PortTaken(RuntimeError):
    pass


def is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        # SO_REUSEADDR, as the servers set it: a closed socket lingering in TIME_WAIT does not
        # count as taken, a listening one does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def listening_process(port: int) -> Optional[str]:
    """'process 123 (its command line)' listening on `port`, read from /proc on Linux."""
    sockets = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local_address, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local_address.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                sockets.add(f"socket:[{inode}]")
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in sockets for fd in (process / "fd").iterdir()):
                command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                return f"process {process.name} ({command.strip()})"
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return None


def check_free(host: str, ports: Dict[str, int]) -> None:
    """Raises PortTaken naming every taken port, its use and its holder."""
    taken = [
        f"port {port} ({use}) is taken by {listening_process(port) or 'another program'}"
        for use, port in ports.items()
        if not is_free(host, port)
    ]
    if taken:
        raise PortTaken("; ".join(taken))
