def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "both_backends: a search test written to pass on SQLite (FTS5) and on PostgreSQL (tsvector); CI runs the "
        "suite on both",
    )
