"""fraud-check's feature store client: in the scenario it is down whenever it is asked."""


class FeatureStoreUnavailable(Exception):
    pass


class FeatureStore:
    def __init__(self, addr):
        self.addr = addr

    def fetch(self, customer_id):
        raise FeatureStoreUnavailable(f"redis {self.addr} connection refused")
