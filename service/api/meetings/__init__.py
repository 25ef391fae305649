"""Joint meetings (联席会议) of alliances and the matters decided there (五事联办), followed to completion."""
