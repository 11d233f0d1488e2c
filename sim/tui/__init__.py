"""The Textual app: screens for the catalogue, briefing, play, results and history."""
