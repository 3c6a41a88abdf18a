"""The base of every record model: unknown keys are refused and nothing is coerced."""

from pydantic import BaseModel, ConfigDict


class RecordModel(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,  # a quoted "12" is not the number 12, and `yes` is not true
        use_attribute_docstrings=True,
        frozen=True,
        hide_input_in_errors=True,
        defer_build=True,  # one core schema is built, for the record, not one per model at import
    )
