package io.github.redisonmesos.broker.web;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Answers the OSB controllers' {@code Mono} in the request's own thread. The broker's
 * services compute their answers synchronously ({@code Mono.fromCallable}), so Spring
 * MVC's asynchronous handling of a {@code Mono} only adds a second dispatch of every
 * request through Tomcat and the filters: a third of a poll's CPU in a profile under
 * load. The resolved value is handed to the handler that would have written it after the
 * asynchronous dispatch, exactly as Spring MVC does then.
 */
final class SynchronousMonoHandler implements HandlerMethodReturnValueHandler {

	private final HandlerMethodReturnValueHandlerComposite delegates = new HandlerMethodReturnValueHandlerComposite();

	private SynchronousMonoHandler(List<HandlerMethodReturnValueHandler> delegates) {
		this.delegates.addHandlers(delegates);
	}

	/**
	 * Put a synchronous Mono handler first among an adapter's return value handlers.
	 * @param adapter the adapter, once initialised
	 */
	static void install(RequestMappingHandlerAdapter adapter) {
		List<HandlerMethodReturnValueHandler> handlers = new ArrayList<>(adapter.getReturnValueHandlers());
		handlers.add(0, new SynchronousMonoHandler(adapter.getReturnValueHandlers()));
		adapter.setReturnValueHandlers(handlers);
	}

	@Override
	public boolean supportsReturnType(MethodParameter returnType) {
		return Mono.class.isAssignableFrom(returnType.getParameterType());
	}

	@Override
	public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest) throws Exception {
		Object value = (returnValue != null) ? ((Mono<?>) returnValue).block() : null;
		MethodParameter resolved = new ResolvedParameter(returnType);
		if (value == null) {
			mavContainer.setRequestHandled(true);
			return;
		}
		this.delegates.handleReturnValue(value, resolved, mavContainer, webRequest);
	}

	/**
	 * The method's return type with the {@code Mono} taken off, as Spring MVC describes
	 * the result of an asynchronous handler.
	 */
	private static final class ResolvedParameter extends MethodParameter {

		private final ResolvableType type;

		ResolvedParameter(MethodParameter original) {
			super(original);
			this.type = ResolvableType.forMethodParameter(original).getGeneric();
		}

		private ResolvedParameter(ResolvedParameter original) {
			super(original);
			this.type = original.type;
		}

		@Override
		public Class<?> getParameterType() {
			return this.type.toClass();
		}

		@Override
		public Type getGenericParameterType() {
			return this.type.getType();
		}

		@Override
		public ResolvedParameter clone() {
			return new ResolvedParameter(this);
		}

	}

}
