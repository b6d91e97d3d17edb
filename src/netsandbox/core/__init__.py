"""Pieces every service shares: settings, logging, data directory, the TCP runner."""
