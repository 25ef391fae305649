"""Teams units organise: volunteer teams, commandos, think tanks and stationed teams."""
