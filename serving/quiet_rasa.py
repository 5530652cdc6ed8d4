"""The `rasa` command, without the dependencies' deprecation warnings.

`python -m serving.quiet_rasa train|run|shell ...` is `rasa ...` with the filters below. Plain
PYTHONWARNINGS cannot do this: importing sanic 21.12 runs
`filterwarnings("once", category=DeprecationWarning)` (sanic/app.py), and Rasa's start-up adds
`filterwarnings("once", category=UserWarning)`, both in front of any filter set earlier. Rasa
has its own list of dependency warnings it expects and filters after that
(`rasa.utils.common.EXPECTED_WARNINGS`): these are added to it, and also filtered at once for
the imports before Rasa configures its filters. Each one names a warning that Rasa 3.6's
pinned dependencies raise at start-up and that nobody running this project can act on;
everything else, including the project's own warnings and Rasa's, still shows, and
`--debug` shows everything, as Rasa does for its own list.
"""

import sys
import warnings

import sanic  # noqa: F401  (imported for its filter, which the ones below must come after)
from rasa.utils.common import EXPECTED_WARNINGS

KNOWN_DEPENDENCY_WARNINGS = [
    # Rasa 3.6 imports pkg_resources (rasa/shared/utils/validation.py, fingerprinting.py),
    # which setuptools deprecates; it then declares mpl_toolkits and ruamel as namespaces.
    (DeprecationWarning, r"pkg_resources is deprecated as an API"),
    (DeprecationWarning, r"Deprecated call to `pkg_resources\.declare_namespace"),
    # sanic-cors 2.0.1 compares versions with distutils (sanic_cors/extension.py).
    (DeprecationWarning, r"distutils Version classes are deprecated"),
    # TensorFlow 2.12's tflite utilities import jax.xla_computation.
    (DeprecationWarning, r"jax\.xla_computation is deprecated"),
    # Rasa's SQLTrackerStore.get_db_url calls sqlalchemy.engine.url.URL(), which SQLAlchemy 1.4
    # deprecates for URL.create().
    (DeprecationWarning, r"Calling URL\(\) directly is deprecated"),
    # matplotlib 3.5 calls pyparsing 2 names that pyparsing 3.3 deprecates.
    (DeprecationWarning, r"'\w+' deprecated - use '\w+'"),
]


def install_filters() -> None:
    for category, message in KNOWN_DEPENDENCY_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=category)
    EXPECTED_WARNINGS.extend(KNOWN_DEPENDENCY_WARNINGS)


def main() -> None:
    install_filters()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
