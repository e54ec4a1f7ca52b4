"""Real servers and builders the tests share (no mocks)."""
