"""Commands that are not the validation pipeline: diff, export, docs and schema generation, scaffolding.

Each uses the pipeline (validator.engine.run) and never repeats its steps.
"""
