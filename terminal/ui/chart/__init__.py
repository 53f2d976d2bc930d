"""The kline chart: candles and volume drawn from numpy arrays with level of detail, and its dock."""
