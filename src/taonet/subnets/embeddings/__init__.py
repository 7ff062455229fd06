"""Text-embedding subnet, after Subnet 5 (Open Kaito).

Miners serve an embedding model (:mod:`.embedders`); validators generate a retrieval
benchmark from the shipped vocabulary (:mod:`.corpus`), send queries and documents mixed
together (:mod:`.challenge`), rank documents by cosine similarity, and reward recall@10
and MRR (:mod:`.retrieval`, :mod:`.reward`).
"""
