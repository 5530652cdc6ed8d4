"""A redis-server for Rasa's RedisLockStore: one conversation is handled by one replica at once.

It holds only short-lived locks, so nothing is saved to disk (`save ''`, no append-only file).
The password goes into a config file readable by us only, never on a command line (`ps`).
"""

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from serving.stack import spawn, terminate


class RedisUnavailable(RuntimeError):
    pass


@dataclass
class RedisServer:
    folder: Path
    port: int = 6380
    password: str = "dystonia-local-redis"
    process: Optional[subprocess.Popen] = field(default=None, repr=False)

    @property
    def config(self) -> Path:
        return self.folder / "redis.conf"

    def settings(self) -> dict:
        """The `lock_store` entry of endpoints.yml, without the password (see scaled.py)."""
        # Rasa's RedisLockStore, with its ticket updates made atomic across replicas.
        return {
            "type": "stores.lock.AtomicRedisLockStore",
            "url": "127.0.0.1",
            "port": self.port,
            "db": 1,
        }

    def start(self, timeout: float = 15) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RedisUnavailable("redis-server is not installed (apt-get install redis-server)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config.touch(mode=0o600)
        self.config.chmod(0o600)
        self.config.write_text(
            f"bind 127.0.0.1\nport {self.port}\nrequirepass {self.password}\n"
            f"save ''\nappendonly no\ndir {self.folder}\n"
        )
        self.process = spawn([binary, str(self.config)], self.folder / "redis.log")
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RedisUnavailable(f"redis-server did not start; see {self.folder}/redis.log")
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        """Whether it answers an authenticated PING (raw RESP: no client needed)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                password = self.password.encode()
                auth = b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n" % (len(password), password)
                connection.sendall(auth + b"*1\r\n$4\r\nPING\r\n")
                reply = b""
                while b"PONG" not in reply and len(reply) < 200:
                    chunk = connection.recv(200)
                    if not chunk:
                        break
                    reply += chunk
                return b"+OK\r\n+PONG" in reply
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            terminate(self.process)
            self.process = None
