"""The action plan that follows a published profile (issue 14): items, progress, publication."""
