"""Tracker stores for the Rasa server (never imported by the action server)."""
