"""What several stages share: dates (`dates`), text normalisation (`text`), stopwords
(`stopwords`) and the site of a URL (`urls`). Plain functions and data."""
