"""Writes on coaching, reflection, peer support and discussions (one module per area)."""
