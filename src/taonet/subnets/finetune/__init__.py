"""Fine-tuning competition subnet, after Subnet 37 (Model Finetuning).

Miners train a small multiple-choice model offline (:mod:`.model` over :mod:`.features`)
on the Q&A subnet's archive, serialise it deterministically (:mod:`.artifact`), publish it
to a content-addressed HTTP :mod:`.store`, and commit ``<sha256>@<url>`` on chain
(:mod:`.commitment`). Validators fetch, check the hash, evaluate held-out accuracy
(:mod:`.evaluate`) and pay winner-takes-most (:mod:`.reward`); copies earn nothing.
"""
