"""The caller's rights over what the firm holds (PIPL arts 45, 47, 19): a copy, deletion,
and the retention period after which everything is deleted anyway (issue 16)."""
