"""The Prefect flows, the command line and what surrounds them.

Importing the package sets Prefect's privacy and start-up defaults (no telemetry, a patient
temporary server) where the environment has no value of its own: see `flows/startup.py`.
"""
from flows.startup import apply_prefect_defaults

apply_prefect_defaults()
