"""The stages of the newsdag pipeline: plain functions that do the work, and thin Prefect tasks."""
