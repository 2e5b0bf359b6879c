"""aeviz.core: the autoencoder engine.  NumPy only: never imports Qt or pyqtgraph.

- :mod:`network`      layer sizes, activations, weights/biases (one flat vector)
- :mod:`activations`  each activation next to its derivative
- :mod:`losses`       reconstruction losses
- :mod:`penalties`    sparsity penalties, weight decay, a variational code's KL term
- :mod:`noise`        input corruption for denoising
- :mod:`optimizers`   SGD (momentum) and Adam, as in PyTorch
- :mod:`trainer`      forward, backprop and update, preallocated per batch size
- :mod:`model`        a whole lesson (network + settings + dataset) and its evaluation
- :mod:`fileformat`   the .aeviz file (its text: :mod:`jsonwrite`)
- :mod:`presets`      the built-in lessons
"""

from aeviz.core.config import Noise, Sparsity, TrainingConfig
from aeviz.core.files.datasets import Dataset
from aeviz.core.files.fileformat import FileFormatError
from aeviz.core.model import Evaluation, Model, evaluate
from aeviz.core.engine.network import Network, NetworkError
from aeviz.core.engine.trainer import Trainer

__all__ = ["Dataset", "Evaluation", "FileFormatError", "Model", "Network", "NetworkError",
           "Noise", "Sparsity", "Trainer", "TrainingConfig", "evaluate"]
