"""The import path notebooks 03, 04 and 05 use for their slider views (kept so that they run
unchanged): the computations live in rnnlib.analysis, the text, figures and widgets in
rnnlib.views (one module per notebook's view), the settings in rnnlib.settings.
"""

from rnnlib.analysis import (  # noqa: F401
    Data,
    ExplorerResult,
    LearningRateResult,
    TruncationResult,
    clear_results,
    course_data,
    explorer_result,
    initial_params,
    learning_rate_result,
    run_status,
    step_contributions,
    truncation_result,
)
from rnnlib.settings import *  # noqa: F403
from rnnlib.views.explorer import (  # noqa: F401
    explorer_text,
    explorer_widget,
    format_explorer,
    plot_explorer,
    show_explorer,
)
from rnnlib.views.learning_rate import (  # noqa: F401
    format_learning_rate,
    learning_rate_text,
    learning_rate_widget,
    plot_learning_rate,
    show_learning_rate,
)
from rnnlib.views.truncation import (  # noqa: F401
    format_truncation,
    plot_truncation,
    show_truncation,
    truncation_text,
    truncation_widget,
)
from rnnlib.views.widgets import NOT_LIVE, SLIDER_LAYOUT, figure_png  # noqa: F401
