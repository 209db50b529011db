"""The product under gunicorn for bench/submit.py, plus a one-INSERT baseline view.

Bench-only: never part of the product. bench/submit.py puts this folder's parent on the
Python path of each checkout it measures, so both serve the same baseline.
"""
