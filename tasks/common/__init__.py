"""What several stages share: dates (`dates`), text normalisation (`text`) and stopwords
(`stopwords`). Plain functions and data, no third-party imports beyond python-dateutil."""
