"""`make bench`: the project's configuration against Rasa's default one, on the same machine.

__main__.py runs everything in order, measure.py trains and measures the servers, load.py is
the REST load generator and report.py writes docs/benchmark.md.
"""
