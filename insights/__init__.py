"""What people ask the assistant and how it answered: a report from the tracker store.

`python -m insights` writes reports/insights.html (see README, Insights and retention);
`python -m insights.forget` deletes old conversations. `insights.report.build_report` is the
entry point for code and tests.
"""

import os
import warnings

# SQLAlchemy's 2.0 migration warning, raised by Rasa 3.6's tracker store module (as in the
# Makefile).
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

# Dependency warnings that nobody running the report can act on (the ones serving/quiet_rasa.py
# filters for `rasa`, plus importlib's on Rasa's namespace packages).
DEPENDENCY_WARNINGS = (
    r"pkg_resources is deprecated as an API",
    r"Deprecated call to `pkg_resources\.declare_namespace",
    r"Calling URL\(\) directly is deprecated",
    r"the load_module\(\) method is deprecated",
    r"'\w+' deprecated - use '\w+'",
)


def quiet_dependency_warnings() -> None:
    """Filters DEPENDENCY_WARNINGS; called by the commands after their imports, because
    importing sanic (through Rasa) puts a filter showing every DeprecationWarning first."""
    for message in DEPENDENCY_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)


quiet_dependency_warnings()
