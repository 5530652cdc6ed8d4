"""An SQL tracker store that fails at start-up instead of silently keeping nothing.

Rasa 3.6's `SQLTrackerStore` logs "Could not create tables" and carries on when its database
cannot be opened (for example an SQLite file in a folder that does not exist). The agent then
wraps it in `FailSafeTrackerStore`, which answers every message from an empty in-memory
tracker: the assistant seems to work but forgets each conversation turn by turn.

This subclass changes three things only:
- an SQLite database's folder is created, so a fresh clone works with plain `rasa run`;
- the store proves it can read and write before the server starts, and raises otherwise,
  which stops `rasa run` and `rasa shell` with the reason;
- a server database's pooled connections are checked before use (`pool_pre_ping`): after the
  database restarts, Rasa's pool would otherwise hand out dead connections, and the first turn
  of each conversation would be answered from an empty in-memory tracker (tests/scaled).

Use it from endpoints.yml with `type: stores.sql.CheckedSQLTrackerStore` and the same keys
as Rasa's `type: SQL` (https://rasa.com/docs/rasa/tracker-stores#sqltrackerstore).
"""

import logging
from pathlib import Path
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.exceptions import RasaException

logger = logging.getLogger(__name__)


class TrackerStoreUnavailable(RasaException):
    """The configured tracker store cannot keep conversations."""


class CheckedSQLTrackerStore(SQLTrackerStore):
    engine: sa.engine.Engine  # set by SQLTrackerStore.__init__, untyped there

    def __init__(
        self,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        db: Text = "rasa.db",
        **kwargs: Any,
    ) -> None:
        where = f"{dialect} database '{db}'"
        try:
            if dialect == "sqlite" and not (host and "://" in host):
                _create_sqlite_folder(db)
            super().__init__(dialect=dialect, host=host, db=db, **kwargs)
            self._check_connections_before_use()
            self._write_and_roll_back()
        except (OSError, sa.exc.SQLAlchemyError) as error:
            raise TrackerStoreUnavailable(
                f"The conversation store in endpoints.yml ({where}) cannot be used: "
                f"{error.__class__.__name__}: {error}. Rasa would answer without keeping any "
                f"conversation, so it is not started. Fix `tracker_store` in endpoints.yml "
                f"or the database it points to."
            ) from error
        logger.info(f"Conversations are kept in the {where}.")

    def _check_connections_before_use(self) -> None:
        unchecked = self.engine
        if unchecked.dialect.name == "sqlite":
            return  # a file: no connection to lose
        self.engine = sa.create_engine(
            unchecked.url, pool_pre_ping=True, **create_engine_kwargs(unchecked.url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        unchecked.dispose()

    def _write_and_roll_back(self) -> None:
        """Proves the events table can be written: inserts a row, then rolls it back."""
        events = self.SQLEvent.__table__
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.execute(
                    events.insert().values(
                        sender_id="start-up check", type_name="check", timestamp=0.0, data="{}"
                    )
                )
            finally:
                transaction.rollback()


def _create_sqlite_folder(db: Text) -> None:
    if db and db != ":memory:":
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
