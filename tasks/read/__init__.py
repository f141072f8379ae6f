"""Read stage: input files to Documents."""
from tasks.read.readers import (
    InputNotFound,
    ReadConfig,
    expand_paths,
    file_fingerprint,
    make_doc_id,
    read_bytes,
    read_file,
    rejected_file,
    site_from_url,
)

__all__ = ["InputNotFound", "ReadConfig", "expand_paths", "file_fingerprint", "make_doc_id", "read_bytes",
           "read_file", "rejected_file", "site_from_url"]
