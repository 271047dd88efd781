User {{USERNAME}} has joined.

Email: {{EMAIL}}
