"""Read stage: input files to Documents."""
from tasks.read.inputs import (
    InputNotFound,
    expand_paths,
    fingerprint_file,
    input_key,
    input_problem,
    storable_path,
)
from tasks.read.readers import (
    ReadConfig,
    file_fingerprint,
    make_doc_id,
    read_bytes,
    read_file,
    rejected_file,
    site_from_url,
)

__all__ = ["InputNotFound", "ReadConfig", "expand_paths", "file_fingerprint", "fingerprint_file", "input_key",
           "input_problem", "make_doc_id", "read_bytes", "read_file", "rejected_file", "site_from_url",
           "storable_path"]
