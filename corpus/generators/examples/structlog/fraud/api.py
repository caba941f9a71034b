"""fraud-check's scoring endpoint: it needs the customer's features first."""


def score(feature_store, customer_id):
    features = feature_store.fetch(customer_id)
    return features
