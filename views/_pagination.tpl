{{%AUTOESCAPE context="HTML"}}<nav aria-label="Pages">
  <ul class="pagination">
{{#PREV}}    <li class="page-item"><a class="page-link" href="{{PREV_URL}}" aria-label="Previous">&laquo;</a></li>
{{/PREV}}{{#NO_PREV}}    <li class="page-item disabled"><span class="page-link" aria-hidden="true">&laquo;</span></li>
{{/NO_PREV}}{{#ITEM}}{{#LINK}}    <li class="page-item"><a class="page-link" href="{{URL}}">{{NUM}}</a></li>
{{/LINK}}{{#CURRENT}}    <li class="page-item active" aria-current="page"><a class="page-link" href="{{URL}}">{{NUM}}</a></li>
{{/CURRENT}}{{#GAP}}    <li class="page-item disabled"><span class="page-link">&hellip;</span></li>
{{/GAP}}{{/ITEM}}{{#NEXT}}    <li class="page-item"><a class="page-link" href="{{NEXT_URL}}" aria-label="Next">&raquo;</a></li>
{{/NEXT}}{{#NO_NEXT}}    <li class="page-item disabled"><span class="page-link" aria-hidden="true">&raquo;</span></li>
{{/NO_NEXT}}  </ul>
</nav>
