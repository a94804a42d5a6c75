"""Shared code of the Facebook and Instagram replicas (shared/platforms/meta.md). This folder has no
replica.py on purpose: it is not a platform of its own."""
