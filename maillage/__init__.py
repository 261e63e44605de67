"""Maillage: a platform for développement social local."""

from maillage.config.celery import app as celery_app

__all__ = ["celery_app"]
