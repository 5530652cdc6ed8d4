"""`make bench`: the project against the stock `rasa init` bot, on the same machine.

__main__.py runs everything in order; measure.py trains and measures the servers; scenarios.py
names the load levels and load.py is the REST load generator; stock.py creates the stock bot;
scaling.py serves the project on PostgreSQL with 1 and 2 replicas; report.py writes the
markdown (docs/benchmark.md) and chart.py the chart next to it.
"""
