"""Coaching pages, one module per area. Thin: authorise, parse, act, respond."""
