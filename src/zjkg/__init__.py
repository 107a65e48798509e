"""zjkg: the Report on the Work of the Government 2021 of Zhejiang Province as linked data."""

__version__ = "0.1.0"
