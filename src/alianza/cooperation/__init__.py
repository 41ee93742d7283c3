"""Cooperation registry (actions 10.1–10.9): mechanisms, meetings, liaison posts, deliverables,
technology deployed and training, and the measures computed from those records."""
