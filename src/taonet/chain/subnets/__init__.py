"""Subnets: creation and removal, neuron registration, weights, serving, hyperparameters."""
