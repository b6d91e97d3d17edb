"""The chat event stream's fan-out benchmark (bench/run_fanout.py)."""
