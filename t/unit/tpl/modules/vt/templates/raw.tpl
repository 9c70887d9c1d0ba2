<p class="raw">{{NAME}}</p>
