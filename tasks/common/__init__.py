"""What several stages share: dates (`dates`), text normalisation (`text`), stopwords
(`stopwords`), the site of a URL (`urls`) and sets of character spans (`spans`). Plain functions and data."""
