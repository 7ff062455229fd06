"""Synthetic Q&A subnet, after Subnet 18 (Cortex.t).

Validators generate questions with verifiable answers (:mod:`.questions` over the shipped
:mod:`.knowledge` base), miners answer them through a pluggable :mod:`.backends` (a rule
solver by default, or any OpenAI-compatible chat endpoint), validators score accuracy and
latency (:mod:`.reward`) and archive every scored pair, with its multiple-choice version,
in an append-only JSONL :mod:`.dataset` that the fine-tuning subnet learns from.
"""
