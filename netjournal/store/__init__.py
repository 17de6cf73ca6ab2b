"""The store: the TinyDB storage that survives crashes, and the Journal service over it."""

from netjournal.store.errors import JournalDamaged, JournalLocked, JournalTooNew, StoreError
from netjournal.store.journal import Journal

__all__ = ["Journal", "JournalDamaged", "JournalLocked", "JournalTooNew", "StoreError"]
