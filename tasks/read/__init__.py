"""Read stage: input files to Documents (`read_step`), rejections included with their reason."""
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
from tasks.read.step import ReadState, read_step, read_with_retries

__all__ = ["InputNotFound", "ReadConfig", "ReadState", "expand_paths", "file_fingerprint", "fingerprint_file",
           "input_key", "input_problem", "make_doc_id", "read_bytes", "read_file", "read_step",
           "read_with_retries", "rejected_file", "site_from_url", "storable_path"]
