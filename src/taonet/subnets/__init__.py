"""Example subnets: the AI work that miners do and validators score.

Layer 3 of taonet. Each subnet lives in its own package (``embeddings``, ``qa``,
``finetune``) and keeps its task logic in plain, pure modules (data, models, scoring)
so that the Axon/Dendrite wiring in ``protocol.py``/``miner.py``/``validator.py`` stays
thin. Subnets import only :mod:`taonet.primitives` and :mod:`taonet.sdk`.
"""
