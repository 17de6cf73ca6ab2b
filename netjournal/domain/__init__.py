"""The domain: records, validation, dates, the capture line and insights.

Pure Python: nothing here imports Textual or touches files.
"""
