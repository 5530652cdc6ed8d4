"""HAProxy in front of the Rasa replicas: the one public port for REST and socket.io.

REST requests carry the whole turn, so any replica can answer them: round robin, with a
health check so a dead replica is taken out within about two seconds. socket.io is different:
the rasa-webchat widget cannot be told to use websocket only, and its long-polling requests
belong to a session that lives in one replica's memory, so they are sticky by client address
(`balance source`). `timeout tunnel` keeps upgraded websockets open while the chat is idle.
"""

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from serving.stack import spawn, terminate


class HAProxyUnavailable(RuntimeError):
    pass


def config(host: str, port: int, replicas: List[int]) -> str:
    servers = "\n".join(
        f"    server replica{number} 127.0.0.1:{replica} check inter 1s fall 2 rise 2"
        for number, replica in enumerate(replicas, start=1)
    )
    backend_defaults = "    option httpchk GET /\n    http-check expect status 200\n"
    return f"""\
global
    maxconn 1000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # An upgraded websocket is a tunnel: the widget may stay silent for long.
    timeout tunnel 1h
    # A request that cannot reach its replica is retried on another one.
    retries 2
    option redispatch

frontend public
    bind {host}:{port}
    acl socketio path_beg /socket.io/
    use_backend socketio if socketio
    default_backend rest

backend rest
    balance roundrobin
{backend_defaults}{servers}

backend socketio
    balance source
{backend_defaults}{servers}
"""


@dataclass
class HAProxy:
    folder: Path
    port: int
    replicas: List[int]
    host: str = "127.0.0.1"
    process: Optional[subprocess.Popen] = field(default=None, repr=False)

    def start(self) -> "HAProxy":
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(binary).exists():
            raise HAProxyUnavailable("haproxy is not installed (apt-get install haproxy)")
        path = self.folder / "haproxy.cfg"
        path.write_text(config(self.host, self.port, self.replicas))
        checked = subprocess.run([binary, "-c", "-q", "-f", str(path)], capture_output=True)
        if checked.returncode != 0:
            raise HAProxyUnavailable(f"{path} is invalid: {checked.stderr.decode()}")
        # -db: stay in the foreground, so that stopping this process stops HAProxy.
        self.process = spawn([binary, "-db", "-f", str(path)], self.folder / "haproxy.log")
        return self

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process)
            self.process = None
