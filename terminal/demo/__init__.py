"""The built-in demo exchange: a faithful, pure twin of HashKey's spot matching engine and accounts."""
